import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURES = join(__dirname, '..', '__fixtures__', 'lab');
export const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');
export const fixtureNames = (): string[] => readdirSync(FIXTURES).filter((f) => f.endsWith('.txt'));
