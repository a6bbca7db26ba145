/**
 * Serial numbers: 128 random bits (16 bytes), made positive by the DER INTEGER encoding (a
 * leading zero byte when the top bit is set, 17 octets at most — within RFC 5280 §4.1.2.2's 20),
 * never zero. kubeadm uses 63 bits; 128 follows the CA/Browser Forum's ≥ 64 bits of entropy and
 * PeculiarVentures/x509's default, and still fits every parser.
 */
export function randomSerial(random: (length: number) => Uint8Array): Uint8Array {
  for (;;) {
    const bytes = random(16);
    if (bytes.some((byte) => byte !== 0)) return bytes;
  }
}
