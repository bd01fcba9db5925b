import { gunzipSync } from 'node:zlib';
import { IMPORT_LIMITS, isCatalogFileName, SourceFile } from 'src/catalog/import/catalog-files';

/** A body that is not a readable gzip-compressed tar archive, or one beyond the import's bounds. */
export class ArchiveError extends Error {
  constructor(
    message: string,
    /** True when the archive is too large (HTTP 413), false when it is unreadable (400). */
    readonly tooLarge = false,
  ) {
    super(message);
    this.name = 'ArchiveError';
  }
}

const BLOCK = 512;

/**
 * The catalog files of a `.tar.gz` archive (POSIX ustar, with pax `path` records and GNU long names):
 * regular files only, named by their path inside the archive; dotfiles, dot-folders, links and
 * devices are skipped. Nothing is ever written to disk, so a path in the archive is only a name for
 * the report. The decompressed archive is bounded by {@link IMPORT_LIMITS.totalBytes}.
 */
export function readTarGz(data: Buffer): SourceFile[] {
  let tar: Buffer;
  try {
    tar = gunzipSync(data, { maxOutputLength: IMPORT_LIMITS.totalBytes });
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new ArchiveError(
        `the archive holds more than ${IMPORT_LIMITS.totalBytes / 1024 / 1024} MB once decompressed`,
        true,
      );
    }
    throw new ArchiveError('the body is not a gzip-compressed archive');
  }
  const files: SourceFile[] = [];
  for (const entry of tarEntries(tar)) {
    if (!isCatalogFileName(entry.name)) continue;
    files.push(entry);
    if (files.length > IMPORT_LIMITS.files) {
      throw new ArchiveError(
        `the archive holds more than ${IMPORT_LIMITS.files} catalog files`,
        true,
      );
    }
  }
  return files;
}

/** The regular files of a tar stream (POSIX.1-2001 ustar and pax interchange format). */
function* tarEntries(tar: Buffer): Generator<SourceFile> {
  let offset = 0;
  let nextName: string | undefined; // from a pax `path` record or a GNU long name
  while (offset + BLOCK <= tar.length) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) return; // end-of-archive marker
    if (checksum(header) !== octal(header, 148, 8)) {
      throw new ArchiveError('the body is not a tar archive (bad header checksum)');
    }
    const size = octal(header, 124, 12);
    const body = tar.subarray(offset + BLOCK, offset + BLOCK + size);
    if (body.length < size) throw new ArchiveError('the tar archive is truncated');
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    const type = String.fromCharCode(header[156] || 0x30);
    if (type === 'x') {
      nextName = paxRecords(body).get('path') ?? nextName;
      continue;
    }
    if (type === 'L') {
      nextName = cString(body, 0, body.length);
      continue;
    }
    if (type === 'g') continue; // global pax header: nothing we use
    const name = nextName ?? ustarName(header);
    nextName = undefined;
    // '0' and '7' are regular files; directories, links, devices and FIFOs are skipped.
    if (type === '0' || type === '7') yield { name: normalize(name), content: Buffer.from(body) };
  }
  throw new ArchiveError('the tar archive is truncated (no end-of-archive marker)');
}

/** Sum of the header bytes with the checksum field read as spaces (POSIX ustar "chksum"). */
function checksum(header: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i];
  return sum;
}

function octal(header: Buffer, start: number, length: number): number {
  if (header[start] & 0x80) throw new ArchiveError('the tar archive holds an entry too large');
  const text = cString(header, start, length).trim();
  if (!/^[0-7]*$/.test(text)) throw new ArchiveError('the body is not a tar archive');
  return text === '' ? 0 : parseInt(text, 8);
}

function cString(buffer: Buffer, start: number, length: number): string {
  const field = buffer.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? field.length : end).toString('utf8');
}

/** ustar `prefix` + `/` + `name`. */
function ustarName(header: Buffer): string {
  const name = cString(header, 0, 100);
  const ustar = cString(header, 257, 6).startsWith('ustar');
  const prefix = ustar ? cString(header, 345, 155) : '';
  return prefix ? `${prefix}/${name}` : name;
}

/** `"<length> <key>=<value>\n"` records (POSIX.1-2001 pax extended header). */
function paxRecords(body: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  let pos = 0;
  while (pos < body.length) {
    const space = body.indexOf(0x20, pos);
    const length = space === -1 ? NaN : Number(body.subarray(pos, space).toString('latin1'));
    if (!Number.isInteger(length) || length <= 0 || pos + length > body.length) break;
    const record = body.subarray(space + 1, pos + length - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) records.set(record.slice(0, eq), record.slice(eq + 1));
    pos += length;
  }
  return records;
}

/** `./catalog//teams/a.yaml` → `catalog/teams/a.yaml`. */
const normalize = (name: string): string =>
  name
    .split('/')
    .filter((part) => part !== '' && part !== '.')
    .join('/');
