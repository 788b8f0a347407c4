/** writeIfUnchanged: the base-hash check and the write as one step across writers, atomic, keeping the mode. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, test } from 'node:test';
import { FileChangedError, writeIfUnchanged } from '../../interpreter/index.ts';
import { sha256Hex } from '../../interpreter/files/write-if-unchanged.ts';

const dir = mkdtempSync(join(tmpdir(), 'write-if-unchanged-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('writes when the file is as read, keeping its mode whatever the umask; leaves no temporary or lock file', async () => {
  const file = join(dir, 'a.yaml');
  writeFileSync(file, 'slug: a\n');
  chmodSync(file, 0o664);
  const previous = process.umask(0o022);
  try {
    const { hash } = await writeIfUnchanged(file, sha256Hex('slug: a\n'), 'slug: a\ntitle: A\n');
    assert.equal(hash, sha256Hex('slug: a\ntitle: A\n'));
  } finally {
    process.umask(previous);
  }
  assert.equal(readFileSync(file, 'utf8'), 'slug: a\ntitle: A\n');
  assert.equal(statSync(file).mode & 0o777, 0o664);
  assert.deepEqual(readdirSync(dir).filter((name) => name.startsWith('.')), []);
});

test('refuses with the file as it is now when it changed since it was read', async () => {
  const file = join(dir, 'b.yaml');
  writeFileSync(file, 'slug: b\n# someone else\n');
  await assert.rejects(writeIfUnchanged(file, sha256Hex('slug: b\n'), 'slug: b\ntitle: B\n'), (error: unknown) => {
    assert.ok(error instanceof FileChangedError);
    assert.equal(error.code, 'FILE_CHANGED');
    assert.equal(error.currentText, 'slug: b\n# someone else\n');
    return true;
  });
  assert.equal(readFileSync(file, 'utf8'), 'slug: b\n# someone else\n');
});

test('two processes saving from the same base: exactly one wins, the other is refused', async () => {
  const file = join(dir, 'c.yaml');
  writeFileSync(file, 'slug: c\n');
  const base = sha256Hex('slug: c\n');
  const module = pathToFileURL(join(import.meta.dirname, '..', '..', 'interpreter', 'files', 'write-if-unchanged.ts')).href;
  const writer = (text: string): Promise<string> =>
    new Promise((resolve) => {
      const script = `const { writeIfUnchanged } = await import(${JSON.stringify(module)});
try { await writeIfUnchanged(${JSON.stringify(file)}, ${JSON.stringify(base)}, ${JSON.stringify(text)}); console.log('written'); }
catch (error) { console.log(error.code ?? error.message); }`;
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.on('exit', () => resolve(out.trim()));
    });
  const results = await Promise.all([writer('slug: c\ntitle: one\n'), writer('slug: c\ntitle: two\n'), writer('slug: c\ntitle: three\n')]);
  assert.deepEqual([...results].sort(), ['FILE_CHANGED', 'FILE_CHANGED', 'written'], results.join(', '));
  assert.match(readFileSync(file, 'utf8'), /^slug: c\ntitle: (one|two|three)\n$/);
});
