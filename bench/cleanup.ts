/**
 * Everything the bench starts (servers, databases, folders) registers how to undo it here. `run()`
 * undoes it in reverse order on success, on failure and on Ctrl-C/SIGTERM; the synchronous `exit`
 * hooks are the last resort when the process ends without reaching `run()`.
 */
export class Cleanup {
  private readonly tasks: Array<{ name: string; undo: () => Promise<void> }> = [];
  private readonly exitHooks = new Set<() => void>();
  private running: Promise<void> | undefined;

  constructor(private readonly log: (line: string) => void) {
    process.on('exit', () => this.exitHooks.forEach((hook) => hook()));
  }

  /** Registers an undo step; the returned function drops it again (the thing ended by itself). */
  add(name: string, undo: () => Promise<void>, onExit?: () => void): () => void {
    const task = { name, undo };
    this.tasks.push(task);
    if (onExit) this.exitHooks.add(onExit);
    return () => {
      const i = this.tasks.indexOf(task);
      if (i >= 0) this.tasks.splice(i, 1);
      if (onExit) this.exitHooks.delete(onExit);
    };
  }

  /** Undoes everything registered so far, once; a failing step is reported and the rest still run. */
  run(): Promise<void> {
    this.running ??= (async () => {
      for (let task = this.tasks.pop(); task; task = this.tasks.pop()) {
        try {
          await task.undo();
        } catch (err) {
          this.log(`cleanup: ${task.name} failed: ${(err as Error).message}`);
        }
      }
      this.exitHooks.clear();
    })();
    return this.running;
  }

  /** Ctrl-C, SIGTERM, SIGHUP: clean up, then exit 130 (a second signal exits at once). */
  handleSignals(): void {
    let interrupted = false;
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.on(signal, () => {
        if (interrupted) process.exit(130);
        interrupted = true;
        this.log(`${signal} received: stopping everything the bench started`);
        void this.run().finally(() => process.exit(130));
      });
    }
  }
}
