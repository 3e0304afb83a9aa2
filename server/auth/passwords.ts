// Password hashing with scrypt from node:crypto; comparison in constant time.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const KEY_LENGTH = 32;

function scryptAsync(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password, salt, KEY_LENGTH, { N: 16384, r: 8, p: 1 }, (err, key) => (err ? reject(err) : resolve(key))));
}

export async function hashPassword(password: string): Promise<{ passwordHash: string; salt: string }> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt);
  return { passwordHash: key.toString('base64'), salt: salt.toString('base64') };
}

export async function verifyPassword(password: string, passwordHash: string, salt: string): Promise<boolean> {
  const expected = Buffer.from(passwordHash, 'base64');
  const key = await scryptAsync(password, Buffer.from(salt, 'base64'));
  return expected.length === key.length && timingSafeEqual(expected, key);
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}
