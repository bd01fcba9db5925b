/**
 * The code of a query worker, run with `new Worker(QUERY_WORKER_SOURCE, { eval: true })` so the same
 * file works under ts-node, jest and in the compiled app. Each worker owns one in-memory PGlite that
 * holds only the example tables of one output port (`workerData.setup`). Messages:
 * - out `{ type: 'ready' }` or `{ type: 'fatal', message }` once the tables are loaded;
 * - in `{ type: 'query', id, sql, maxRows }` → out `{ type: 'result', id, columns, rows }` or
 *   `{ type: 'error', id, message }`. The query runs in a READ ONLY transaction that is always rolled
 *   back, through a cursor, so at most `maxRows` rows are computed and returned.
 * The main thread enforces the time limit by terminating the worker.
 */
export const QUERY_WORKER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');

const raw = (x) => x;
const toNumber = (x) => {
  const n = Number(x);
  return Number.isSafeInteger(n) || (Number.isFinite(n) && x.replace(/[^0-9]/g, '').length <= 15) ? n : x;
};
// Dates and times stay as PostgreSQL prints them; big numbers as numbers when exact.
const parsers = { 20: toNumber, 1700: toNumber, 1082: raw, 1083: raw, 1114: raw, 1184: raw, 1266: raw, 1186: raw };

const plain = (v) => {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Uint8Array) return '\\x' + Buffer.from(v).toString('hex');
  if (Array.isArray(v)) return v.map(plain);
  return v;
};

const typeNames = new Map();
async function columnTypes(db, fields) {
  const missing = [...new Set(fields.map((f) => f.dataTypeID))].filter((oid) => !typeNames.has(oid));
  if (missing.length) {
    const res = await db.query('SELECT oid::int AS oid, format_type(oid, NULL) AS name FROM pg_type WHERE oid = ANY($1::oid[])', [missing]);
    for (const r of res.rows) typeNames.set(r.oid, r.name);
  }
  return fields.map((f) => ({ name: f.name, type: typeNames.get(f.dataTypeID) || 'unknown' }));
}

async function main() {
  const { PGlite } = require(workerData.pglitePath);
  const db = await PGlite.create({ parsers });
  for (const step of workerData.setup) {
    if (step.rows) {
      await db.transaction(async (tx) => {
        for (const row of step.rows) await tx.query(step.sql, row);
      });
    } else {
      await db.exec(step.sql);
    }
  }
  parentPort.on('message', async (msg) => {
    if (!msg || msg.type !== 'query') return;
    try {
      await db.exec('BEGIN TRANSACTION READ ONLY');
      await db.query('DECLARE q NO SCROLL CURSOR FOR ' + msg.sql);
      const res = await db.query('FETCH FORWARD ' + Number(msg.maxRows) + ' FROM q', [], { rowMode: 'array' });
      await db.exec('ROLLBACK');
      const columns = await columnTypes(db, res.fields);
      parentPort.postMessage({ type: 'result', id: msg.id, columns, rows: res.rows.map((r) => r.map(plain)) });
    } catch (err) {
      await db.exec('ROLLBACK').catch(() => undefined);
      parentPort.postMessage({ type: 'error', id: msg.id, message: String((err && err.message) || err) });
    }
  });
  parentPort.postMessage({ type: 'ready' });
}

main().catch((err) => parentPort.postMessage({ type: 'fatal', message: String((err && err.message) || err) }));
`;
