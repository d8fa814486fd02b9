/** A PEM certificate request (an EC P-256 key, subject CN=e2e-tables), made with openssl. */
export const CERTIFICATE_REQUEST = [
  '-----BEGIN CERTIFICATE REQUEST-----',
  'MIHPMHcCAQAwFTETMBEGA1UEAwwKZTJlLXRhYmxlczBZMBMGByqGSM49AgEGCCqG',
  'SM49AwEHA0IABFIxkULOVlw6uBjC6GN9mhqjQCW1Tf32kuDkr3wavdoHsC/+BUjw',
  'Q6h7qbQXNby6/s0wcT246BDRSnJVqZ6BgRKgADAKBggqhkjOPQQDAgNIADBFAiEA',
  '2L0PvOxElwLGpct/bm7BBdrtQIsJDbhM4VTTJ5RO0EoCIAfApCeWGq3Wjmvn5PRc',
  '866aGR+W9JbHe7FNh7GZ+zHF',
  '-----END CERTIFICATE REQUEST-----',
  '',
].join('\n');

/** A PEM certificate request with an RSA key (subject CN=e2e-rsa), made with openssl. */
export const RSA_CERTIFICATE_REQUEST = [
  '-----BEGIN CERTIFICATE REQUEST-----',
  'MIIBUTCBuwIBADASMRAwDgYDVQQDDAdlMmUtcnNhMIGfMA0GCSqGSIb3DQEBAQUA',
  'A4GNADCBiQKBgQCbKJxPDw+skL14EYuwZ2qlCgviW+tVU98iVAfu38wP8NiaWGN1',
  '3SCAOvNl7/IJ+RVBlCIYN0UvvUwELJG3/Z+W1SqRnH86c+Jwk0ABACn/A1qmi0gT',
  'PGj/cwyzHcZLz+IK+Jv4DWhkZBh6BbFseKrut4Wokk6yPPuRrjsoSJM5hwIDAQAB',
  'oAAwDQYJKoZIhvcNAQELBQADgYEAPJ03sBHnpRT0qYU1ZGom4hCVIZi1oER9BgbX',
  'l49WsrSYiAzr7SLc4jOZbpIg/hNd4ttnIWsE13bzJIA40whMBePLvc7nJjLOW4sT',
  '67x5T4AHmJ5iQUyynFl8yW/thvo8S71OXKBpKT2ZMrpOgwJ+f4cP7sMhd38uOhga',
  'JJGj7EA=',
  '-----END CERTIFICATE REQUEST-----',
  '',
].join('\n');
