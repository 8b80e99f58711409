// Protobuf request bodies (application/vnd.kubernetes.protobuf). kubectl's typed clients write
// protobuf and never fall back to JSON on 415: `kubectl create deployment|job|cronjob|service|
// role|clusterrole|rolebinding|clusterrolebinding|poddisruptionbudget|priorityclass|quota|
// ingress|secret|configmap|namespace|serviceaccount|token` and `kubectl auth` send it. The body
// is a `k8s\0` envelope (runtime.Unknown) around the object's own bytes, decoded with the
// descriptor table of ./proto/messages.ts. A kind or a field the table does not know is
// refused with 415 rather than silently dropped.
import type { KubeObject } from '../../shared/kube/object.ts';
import { StatusError } from './errors.ts';
import { decodeMessage, UndecodableError } from './proto/decode.ts';
import { kindMessage } from './proto/descriptors.ts';
import { readRecords, WireError } from './proto/wire.ts';
import { unsupportedMediaType } from './status.ts';

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]); // "k8s\0"

function refuse(detail: string): StatusError {
  const { status } = unsupportedMediaType('application/vnd.kubernetes.protobuf', ['application/json', 'application/yaml']);
  const message = `${status.message} (the sandbox decodes protobuf for the kinds kubectl create and kubectl auth send: ${detail}; send JSON, e.g. kubectl apply or kubectl create -f)`;
  return new StatusError({ ...status, message });
}

/** runtime.Unknown: typeMeta = 1 (apiVersion = 1, kind = 2), raw = 2. */
function envelope(body: Buffer): { apiVersion: string; kind: string; raw: Buffer } {
  let apiVersion = '';
  let kind = '';
  let raw: Buffer = Buffer.alloc(0);
  for (const record of readRecords(body.subarray(4))) {
    if (record.field === 1 && Buffer.isBuffer(record.value)) {
      for (const typeMeta of readRecords(record.value)) {
        if (!Buffer.isBuffer(typeMeta.value)) continue;
        if (typeMeta.field === 1) apiVersion = typeMeta.value.toString('utf8');
        if (typeMeta.field === 2) kind = typeMeta.value.toString('utf8');
      }
    } else if (record.field === 2 && Buffer.isBuffer(record.value)) {
      raw = record.value;
    }
  }
  return { apiVersion, kind, raw };
}

/** Decodes a `k8s\0`-enveloped protobuf object into the object its JSON would have been. */
export function decodeProtobuf(body: Buffer): KubeObject {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) throw refuse('missing k8s envelope');
  try {
    const { apiVersion, kind, raw } = envelope(body);
    const message = kindMessage(apiVersion, kind);
    if (!message) throw refuse(`kind ${kind || '?'} of ${apiVersion || '?'} is not one of them`);
    const object = decodeMessage(raw, message, '');
    return { apiVersion, kind, ...object, metadata: (object.metadata ?? {}) as KubeObject['metadata'] };
  } catch (error) {
    if (error instanceof UndecodableError || error instanceof WireError) throw refuse(error.message);
    throw error;
  }
}
