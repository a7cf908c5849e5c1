// Directors' agent tokens are stored encrypted (AES-256-GCM) under a key kept in its own file beside the database,
// created 0600: a copy of the database alone (a backup, a support bundle) does not give the tokens away.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  /** The key in `file`, created (random, 0600) when absent; a key of another size is an error naming the file. */
  static fromKeyFile(file: string): SecretBox {
    if (!existsSync(file)) {
      const fd = openSync(file, 'wx', 0o600);
      try {
        writeSync(fd, randomBytes(KEY_BYTES).toString('base64') + '\n');
      } finally {
        closeSync(fd);
      }
    }
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== KEY_BYTES) throw new Error(`${file}: not a ${KEY_BYTES}-byte base64 key (${key.length} bytes)`);
    return new SecretBox(key);
  }

  /** A key that lives as long as the process (an in-memory database). */
  static ephemeral(): SecretBox {
    return new SecretBox(randomBytes(KEY_BYTES));
  }

  /** iv | tag | ciphertext, base64; `context` (the director's name) is authenticated with it, so a sealed token
   * copied onto another row does not open. */
  seal(plain: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  open(sealed: string, context: string): string {
    const raw = Buffer.from(sealed, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }
}
