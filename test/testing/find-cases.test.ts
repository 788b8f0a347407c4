import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { findCaseFiles } from '../../interpreter/testing/index.ts';

const dirs: string[] = [];
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

test('a directory yields its *.test.yaml cases, not those of node_modules, dot directories or a nested project', async () => {
  const root = await mkdtemp(join(tmpdir(), 'runbook-find-cases-'));
  dirs.push(root);
  const files = ['tests/a.test.yaml', 'tests/deep/b.test.yml', 'tests/notes.yaml', 'node_modules/pkg/c.test.yaml', '.git/d.test.yaml', 'packages/other/tests/e.test.yaml', 'packages/other/runbook.config.yaml'];
  for (const file of files) {
    await mkdir(join(root, file, '..'), { recursive: true });
    await writeFile(join(root, file), 'x: 1\n');
  }
  const found = (await findCaseFiles([root])).map((file) => relative(root, file)).sort();
  assert.deepEqual(found, ['tests/a.test.yaml', 'tests/deep/b.test.yml']);
  // Named explicitly, the nested project's directory is searched like any other.
  const nested = (await findCaseFiles([join(root, 'packages', 'other')])).map((file) => relative(root, file));
  assert.deepEqual(nested, ['packages/other/tests/e.test.yaml']);
  // A file named on the command line is taken whatever its name.
  assert.deepEqual(await findCaseFiles([join(root, 'tests', 'notes.yaml')]), [join(root, 'tests', 'notes.yaml')]);
});
