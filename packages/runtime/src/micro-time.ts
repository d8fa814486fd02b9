/** `ms` since the epoch as a Kubernetes MicroTime (RFC 3339 with six fractional digits). */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
