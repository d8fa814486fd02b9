// The one naming rule shared by fetch-spec.mjs and generate.mjs.

/**
 * The file under spec/ that holds the OpenAPI v3 document served at `/openapi/v3/<path>`:
 * `apis/apps/v1` -> `apis__apps__v1.json` (kube-apiserver's own naming in api/openapi-spec/v3).
 * @param {string} path
 * @returns {string}
 */
export function specFileName(path) {
  return `${path.replaceAll('/', '__')}.json`;
}
