// Request bodies as the API server decodes them: JSON, YAML for apply, protobuf; CBOR refused.
import { parse as parseYaml } from 'yaml';
import { decodeProtobuf } from './protobuf.ts';
import { badRequest, unsupportedMediaType } from './status.ts';

export function parseBody(raw: Buffer, contentType: string | undefined): unknown {
  if ((contentType ?? '').includes('protobuf')) return decodeProtobuf(raw);
  if ((contentType ?? '').includes('cbor')) throw unsupportedMediaType(contentType ?? '', ['application/json', 'application/yaml']);
  const text = raw.toString('utf8');
  try {
    // JSON is YAML, and most apply bodies are JSON: the fast parser first, as the API server does.
    if (!(contentType ?? '').includes('yaml')) return JSON.parse(text);
    try {
      return JSON.parse(text);
    } catch {
      return parseYaml(text);
    }
  } catch (error) {
    throw badRequest(`error decoding request body: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** How the request log shows a body: parsed as the handlers parse it, else as text. */
export function lenientParse(raw: Buffer, contentType: string | undefined): unknown {
  try {
    return parseBody(raw, contentType);
  } catch {
    return raw.toString('utf8');
  }
}
