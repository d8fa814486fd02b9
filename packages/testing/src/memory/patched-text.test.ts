import { describe, expect, test } from 'vitest';
import { jsonPatchedText, mergePatchedText } from './patched-text.js';

// A ConfigMap as kube-apiserver v1.36.3 encoded it, and the texts it made of it patched
// (quoted in its Strict refusals of these very patches).
const DOC =
  '{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"fx","namespace":"default","uid":"26fcf0eb-10d6-493d-8fb0-cbbecd27fead","resourceVersion":"383","creationTimestamp":"2026-11-30T07:07:17Z","labels":{"l":"1"},"managedFields":[{"manager":"x","operation":"Update","apiVersion":"v1","time":"2026-11-30T07:07:17Z","fieldsType":"FieldsV1","fieldsV1":{"f:data":{".":{},"f:a":{},"f:z":{}},"f:metadata":{"f:labels":{".":{},"f:l":{}}}}}]},"data":{"a":"2","z":"1"}}';

describe('mergePatchedText', () => {
  test('sorts the keys of the objects the patch walks into and of what it adds; keeps the rest', () => {
    const patch =
      '{"data":{"b":"2","b":"3","a":null},"metadata":{"annotations":{"z":"1","a":"2"}},"extra":[{"z":1,"a":null}],"kind":"ConfigMap"}';
    expect(mergePatchedText(DOC, patch)).toBe(
      '{"apiVersion":"v1","data":{"b":"3","z":"1"},"extra":[{"z":1}],"kind":"ConfigMap","metadata":{"annotations":{"a":"2","z":"1"},"creationTimestamp":"2026-11-30T07:07:17Z","labels":{"l":"1"},"managedFields":[{"manager":"x","operation":"Update","apiVersion":"v1","time":"2026-11-30T07:07:17Z","fieldsType":"FieldsV1","fieldsV1":{"f:data":{".":{},"f:a":{},"f:z":{}},"f:metadata":{"f:labels":{".":{},"f:l":{}}}}}],"name":"fx","namespace":"default","resourceVersion":"383","uid":"26fcf0eb-10d6-493d-8fb0-cbbecd27fead"}}',
    );
  });
});

describe('jsonPatchedText', () => {
  test('decodes the containers along each path; added values keep their text, duplicates too', () => {
    const patch =
      '[{"op":"add","path":"/metadata/annotations","value":{"q":"1", "q" : {"y":2,"b":[{"z":1,"a":2}]}}},{"op":"test","path":"/data","value":{"z":"1","a":"2"}},{"op":"add","path":"/extra","value":{"z":1,"a":[2]}}]';
    expect(jsonPatchedText(DOC, patch)).toBe(
      '{"apiVersion":"v1","data":{"a":"2","z":"1"},"extra":{"z":1,"a":[2]},"kind":"ConfigMap","metadata":{"annotations":{"q":"1","q":{"y":2,"b":[{"z":1,"a":2}]}},"creationTimestamp":"2026-11-30T07:07:17Z","labels":{"l":"1"},"managedFields":[{"manager":"x","operation":"Update","apiVersion":"v1","time":"2026-11-30T07:07:17Z","fieldsType":"FieldsV1","fieldsV1":{"f:data":{".":{},"f:a":{},"f:z":{}},"f:metadata":{"f:labels":{".":{},"f:l":{}}}}}],"name":"fx","namespace":"default","resourceVersion":"383","uid":"26fcf0eb-10d6-493d-8fb0-cbbecd27fead"}}',
    );
  });
});
