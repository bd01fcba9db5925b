import type { FastifyReply } from 'fastify';
import { stringify } from 'yaml';
import { YAML_MEDIA_TYPES } from 'src/common/body-parsers';
import type { StoredDocument } from 'src/catalog/store/catalog-store.types';

/** Accept negotiation (RFC 9110 §12.5.1): YAML when a YAML type is preferred over JSON. */
export function wantsYaml(accept: string | undefined): boolean {
  if (!accept) return false;
  let yaml = 0;
  let json = 0;
  for (const part of accept.toLowerCase().split(',')) {
    const [type, ...params] = part.trim().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) || 0 : 1;
    if ((YAML_MEDIA_TYPES as readonly string[]).includes(type.trim())) yaml = Math.max(yaml, q);
    else if (type.trim() === 'application/json') json = Math.max(json, q);
  }
  return yaml > 0 && yaml >= json;
}

/** The body as JSON or YAML, with Vary: Accept (the answer depends on it). */
export function negotiated(
  reply: FastifyReply,
  accept: string | undefined,
  body: unknown,
): unknown {
  void reply.header('vary', 'Accept');
  if (!wantsYaml(accept)) return body;
  void reply.type('application/yaml; charset=utf-8');
  return stringify(body);
}

/** One document: its body, with the ETag header. */
export function sendDocument(
  reply: FastifyReply,
  accept: string | undefined,
  doc: StoredDocument,
): unknown {
  void reply.header('etag', doc.etag);
  return negotiated(reply, accept, doc.body);
}
