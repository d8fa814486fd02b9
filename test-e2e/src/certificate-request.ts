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
