import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from './processes';

/**
 * Reads a V8 `.cpuprofile` (what `node --cpu-prof` writes) and sums it up: the frames with the most
 * self time, self time per package or folder of ours, and the share of CPU spent in the credential
 * check. Locations in dist/ are mapped back to src/*.ts through the build's source maps.
 */

interface CallFrame {
  functionName: string;
  url: string;
  /** 0-based. */
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  /** Microseconds on the monotonic clock (the clock of process.hrtime). */
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface FrameStat {
  function: string;
  /** file:line (1-based), src/… for our code. */
  location: string;
  /** Self samples as % of the CPU samples (idle excluded). */
  selfPercent: number;
  /** Samples with this frame anywhere on the stack, %. */
  totalPercent: number;
  /** The frames that called it most (direct parents), with their share of its self time. */
  callers: Array<{ caller: string; percent: number }>;
}

export interface ProfileSummary {
  /** The bench scenario id, when it comes from a bench run. */
  id?: string;
  scenario: string;
  file: string;
  /** CPU samples counted (idle excluded). */
  samples: number;
  /** The profiled run's own figures (profiler overhead included). */
  measured?: { requestsPerSecond: number; p99: number; serverCpuMicrosPerRequest: number | null };
  /** Mean µs between samples. */
  intervalMicros: number;
  /** True when only the measured window was counted; false: the whole process life. */
  windowOnly: boolean;
  /** Share of samples the process was idle (waiting on I/O) in the counted span. */
  idlePercent: number;
  topSelf: FrameStat[];
  /** Self time per package (node_modules), per Node internal area, per folder of ours. */
  byPackage: Array<{ name: string; selfPercent: number }>;
  /** Samples with a frame of the package or area anywhere on the stack. */
  byPackageInclusive: Array<{ name: string; totalPercent: number }>;
  credential: {
    /** Samples with a credential-check frame anywhere on the stack, % of CPU samples. */
    percent: number;
    /** The same, by the innermost credential frame on the stack. */
    parts: Array<{ name: string; percent: number }>;
  };
}

/** What counts as the credential check: the guard, the strategies, key and JWT verification. */
const CREDENTIAL_PARTS: Array<{ name: string; match: (f: CallFrame, file: string) => boolean }> = [
  {
    // verify() and its helpers, not issue() (the token endpoint signs with the same service).
    name: 'AccessTokenService.verify (ES256 JWT)',
    match: (f, file) =>
      file.endsWith('src/oauth/tokens/access-token.service.ts') &&
      ['verify', 'check', 'checkClaims', 'decodeSegment', 'isNumericDate'].includes(f.functionName),
  },
  {
    name: 'SigningKeyService (verification key)',
    match: (f, file) =>
      file.endsWith('src/oauth/tokens/signing-key.service.ts') &&
      ['verificationKey', 'isPublished'].includes(f.functionName),
  },
  {
    name: 'BearerAuthService (grant state, cached)',
    match: (_f, file) => file.endsWith('src/authentication/bearer-auth.service.ts'),
  },
  {
    name: 'ApiKeyAuthService (hash, cached key state)',
    match: (_f, file) =>
      file.endsWith('src/api-keys/api-key-auth.service.ts') ||
      file.endsWith('src/api-keys/api-key.format.ts'),
  },
  {
    name: 'passport strategies',
    match: (_f, file) =>
      /^src\/authentication\/(api-key|jwt)\.strategy\.ts$/.test(file) ||
      /node_modules\/(passport|passport-headerapikey|passport-strategy)\//.test(file),
  },
  {
    name: '@nestjs/passport AuthGuard',
    match: (_f, file) =>
      file.includes('node_modules/@nestjs/passport/') ||
      file.endsWith('src/authentication/passport-credential.ts'),
  },
  {
    name: 'AuthenticationGuard (rate-limit check, metrics)',
    match: (_f, file) => file.endsWith('src/authentication/authentication.guard.ts'),
  },
];

const sourceMaps = new Map<string, SourceMap | null>();

function sourceMapFor(path: string): SourceMap | null {
  if (!sourceMaps.has(path)) {
    let map: SourceMap | null = null;
    try {
      if (existsSync(`${path}.map`)) {
        map = new SourceMap(JSON.parse(readFileSync(`${path}.map`, 'utf8')));
      }
    } catch {
      map = null;
    }
    sourceMaps.set(path, map);
  }
  return sourceMaps.get(path) ?? null;
}

interface Place {
  /** Repository-relative file (src/… for our code), node:… or '' (native). */
  file: string;
  /** 1-based, 0 when unknown. */
  line: number;
}

const places = new Map<string, Place>();

/** The frame's file and line, through the source map for dist/. */
function placeOf(f: CallFrame): Place {
  const key = `${f.url}:${f.lineNumber}:${f.columnNumber}`;
  const known = places.get(key);
  if (known) return known;
  let place: Place = { file: f.url, line: f.lineNumber + 1 };
  if (f.url.startsWith('file://') || f.url.startsWith('/')) {
    const path = f.url.startsWith('file://') ? fileURLToPath(f.url) : f.url;
    place = { file: relative(ROOT, path).split(sep).join('/'), line: f.lineNumber + 1 };
    if (place.file.startsWith('dist/') && f.lineNumber >= 0) {
      const entry: { originalSource?: string; originalLine?: number } | undefined = sourceMapFor(
        path,
      )?.findEntry(f.lineNumber, Math.max(0, f.columnNumber));
      if (entry?.originalSource) {
        const src = entry.originalSource.startsWith('file://')
          ? fileURLToPath(entry.originalSource)
          : resolve(dirname(path), entry.originalSource);
        place = {
          file: relative(ROOT, src).split(sep).join('/'),
          line: (entry.originalLine ?? 0) + 1,
        };
      }
    }
  }
  places.set(key, place);
  return place;
}

/** node_modules package, Node internal area, folder of ours, or the pseudo-frame's name. */
function packageOf(f: CallFrame, place: Place): string {
  if (!f.url) return f.functionName.startsWith('(') ? f.functionName : '(native / V8 builtins)';
  if (place.file.startsWith('node:')) {
    const parts = place.file.slice(5).split('/');
    return `node:${parts.slice(0, parts[0] === 'internal' ? 2 : 1).join('/')}`;
  }
  const nm = place.file.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = place.file.slice(nm + 'node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  if (place.file.startsWith('src/')) {
    const parts = place.file.split('/');
    return parts.length > 2 ? `ours: ${parts[0]}/${parts[1]}` : `ours: ${place.file}`;
  }
  return place.file;
}

/** `function (file:line)` for reports. */
function describeFrame(f: CallFrame): string {
  const place = placeOf(f);
  return `${f.functionName || '(anonymous)'} (${place.file ? `${place.file}:${place.line}` : 'native'})`;
}

const pct = (n: number, total: number): number =>
  total > 0 ? Math.round((n / total) * 1000) / 10 : 0;

/**
 * Sums up `file`. With a window (µs on the monotonic clock), only samples inside it count — the
 * measured part of the run, without start-up and warm-up — provided the profile's clock matches.
 */
export function summarizeProfile(
  file: string,
  scenario: string,
  window?: { startMicros: number; endMicros: number },
  top = 15,
): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const n of profile.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const times: number[] = [];
  let t = profile.startTime;
  for (const d of profile.timeDeltas) times.push((t += d));
  const inWindow = (i: number) =>
    !window || (times[i] >= window.startMicros && times[i] <= window.endMicros);
  let windowOnly = window !== undefined;
  let picked = profile.samples.map((_, i) => i).filter(inWindow);
  if (windowOnly && picked.length < 100) {
    // The profile's clock does not match ours: count everything rather than nothing.
    windowOnly = false;
    picked = profile.samples.map((_, i) => i);
  }
  const isIdle = (id: number) => byId.get(id)?.callFrame.functionName === '(idle)';
  const cpu = picked.filter((i) => !isIdle(profile.samples[i]));
  const span =
    picked.length > 1 ? times[picked[picked.length - 1]] - times[picked[0]] : profile.endTime;

  const selfCount = new Map<number, number>();
  for (const i of cpu) {
    const id = profile.samples[i];
    selfCount.set(id, (selfCount.get(id) ?? 0) + 1);
  }

  const frameKey = (f: CallFrame) => `${f.functionName}|${f.url}|${f.lineNumber}|${f.columnNumber}`;
  const self = new Map<string, { frame: CallFrame; n: number }>();
  const total = new Map<string, number>();
  const packages = new Map<string, number>();
  const packagesInclusive = new Map<string, number>();
  const callers = new Map<string, Map<string, number>>();
  const credentialParts = new Map<string, number>();
  let credential = 0;
  /** Per node: the innermost credential part on its stack (memoised), or null. */
  const credentialOf = new Map<number, string | null>();
  const credentialPart = (id: number): string | null => {
    if (credentialOf.has(id)) return credentialOf.get(id) ?? null;
    const node = byId.get(id);
    let part: string | null = null;
    if (node) {
      const place = placeOf(node.callFrame);
      part = CREDENTIAL_PARTS.find((p) => p.match(node.callFrame, place.file))?.name ?? null;
      const up = parent.get(id);
      if (part === null && up !== undefined) part = credentialPart(up);
    }
    credentialOf.set(id, part);
    return part;
  };

  for (const [id, n] of selfCount) {
    const node = byId.get(id);
    if (!node) continue;
    const f = node.callFrame;
    const key = frameKey(f);
    const s = self.get(key) ?? { frame: f, n: 0 };
    s.n += n;
    self.set(key, s);
    const pkg = packageOf(f, placeOf(f));
    packages.set(pkg, (packages.get(pkg) ?? 0) + n);
    const part = credentialPart(id);
    if (part) {
      credential += n;
      credentialParts.set(part, (credentialParts.get(part) ?? 0) + n);
    }
    const up = parent.get(id);
    const caller = up === undefined ? undefined : byId.get(up)?.callFrame;
    if (caller) {
      const byCaller = callers.get(key) ?? new Map<string, number>();
      const name = describeFrame(caller);
      byCaller.set(name, (byCaller.get(name) ?? 0) + n);
      callers.set(key, byCaller);
    }
    // Inclusive counts: each distinct frame, and each package, on the stack once.
    const seen = new Set<string>();
    const seenPackages = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)!.callFrame;
      const k = frameKey(frame);
      if (!seen.has(k)) {
        seen.add(k);
        total.set(k, (total.get(k) ?? 0) + n);
      }
      const p = packageOf(frame, placeOf(frame));
      if (!seenPackages.has(p) && !p.startsWith('(')) {
        seenPackages.add(p);
        packagesInclusive.set(p, (packagesInclusive.get(p) ?? 0) + n);
      }
    }
  }

  const n = cpu.length;
  const topSelf = [...self.entries()]
    .sort((a, b) => b[1].n - a[1].n)
    .slice(0, top)
    .map(([key, { frame, n: count }]) => {
      const place = placeOf(frame);
      return {
        function: frame.functionName || '(anonymous)',
        location: place.file ? `${place.file}:${place.line}` : '(native)',
        selfPercent: pct(count, n),
        totalPercent: pct(total.get(key) ?? 0, n),
        callers: [...(callers.get(key) ?? new Map<string, number>()).entries()]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 2)
          .map(([caller, c]) => ({ caller, percent: pct(c, count) })),
      };
    });
  return {
    scenario,
    file: relative(ROOT, file),
    samples: n,
    intervalMicros: picked.length > 1 ? Math.round(span / (picked.length - 1)) : 0,
    windowOnly,
    idlePercent: pct(picked.length - n, picked.length),
    topSelf,
    byPackage: [...packages.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([name, count]) => ({ name, selfPercent: pct(count, n) })),
    byPackageInclusive: [...packagesInclusive.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 40)
      .map(([name, count]) => ({ name, totalPercent: pct(count, n) })),
    credential: {
      percent: pct(credential, n),
      parts: [...credentialParts.entries()]
        .sort((a, b) => b[1] - a[1])
        .map(([name, count]) => ({ name, percent: pct(count, n) })),
    },
  };
}

export function formatProfile(p: ProfileSummary): string {
  const lines = [
    `CPU profile — ${p.scenario}${p.measured ? ` (profiled run: ${Math.round(p.measured.requestsPerSecond)} req/s, ${p.measured.serverCpuMicrosPerRequest ?? '-'} µs CPU/req, p99 ${p.measured.p99} ms)` : ''}: ${p.samples} CPU samples every ~${p.intervalMicros} µs, ${p.windowOnly ? 'measured window only' : 'whole process life (start-up included: the window did not match)'}, idle ${p.idlePercent}% of the span; ${p.file}`,
    '',
    `  ${'self %'.padStart(6)}  ${'total %'.padStart(7)}  function — location`,
    ...p.topSelf.map(
      (f) =>
        `  ${f.selfPercent.toFixed(1).padStart(6)}  ${f.totalPercent.toFixed(1).padStart(7)}  ${f.function} — ${f.location}${f.callers.length ? `\n                   ← ${f.callers.map((c) => `${c.caller} ${c.percent}%`).join(', ')}` : ''}`,
    ),
    '',
    '  by package / area:  self %  (total %: on the stack)',
    ...p.byPackage.map((b) => {
      const inclusive = p.byPackageInclusive.find((i) => i.name === b.name)?.totalPercent;
      return `  ${b.selfPercent.toFixed(1).padStart(6)}  ${(inclusive === undefined ? '' : inclusive.toFixed(1)).padStart(7)}  ${b.name}`;
    }),
    `  on the stack most: ${p.byPackageInclusive
      .slice(0, 12)
      .map((i) => `${i.name} ${i.totalPercent}%`)
      .join(', ')}`,
    '',
    `  credential check: ${p.credential.percent}% of the server's CPU (samples with the guard, a passport strategy, ApiKeyAuthService, BearerAuthService or AccessTokenService on the stack; async continuations that lost those frames are not counted, so this is a lower bound)`,
    ...p.credential.parts.map((c) => `  ${c.percent.toFixed(1).padStart(6)}  ${c.name}`),
  ];
  return lines.join('\n');
}

/** `node -r ts-node/register/transpile-only bench/profile.ts FILE.cpuprofile`: the summary of any profile. */
if (require.main === module) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: bench/profile.ts FILE.cpuprofile\n');
    process.exit(2);
  }
  process.stdout.write(`${formatProfile(summarizeProfile(resolve(file), file))}\n`);
}
