import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Secrets that must be read back in clear (OAuth 1.0a consumer and token secrets: HMAC verification needs them)
 * are stored sealed with AES-256-GCM under a key derived from the server secret. Each value is bound to the row
 * it belongs to (`context`, used as associated data), so a sealed value copied onto another row does not open.
 *
 * Format: `v1.` + base64url(iv[12] ‖ tag[16] ‖ ciphertext).
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(serverSecret: string) {
    this.key = Buffer.from(hkdfSync('sha256', serverSecret, 'roost', 'roost secret-box v1', 32));
  }

  seal(plain: string, context: string): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.key, iv);
    c.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return `v1.${Buffer.concat([iv, c.getAuthTag(), body]).toString('base64url')}`;
  }

  /** The clear value, or null when the box is malformed, tampered with, or sealed for another context or key. */
  open(sealed: string | null | undefined, context: string): string | null {
    if (!sealed || !sealed.startsWith('v1.')) return null;
    const raw = Buffer.from(sealed.slice(3), 'base64url');
    if (raw.length < 28) return null;
    try {
      const d = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      d.setAAD(Buffer.from(context, 'utf8'));
      d.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
    } catch {
      return null;
    }
  }
}
