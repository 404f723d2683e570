/**
 * docs/ARCHITECTURE.md names every folder of src/ and nodes/ with its job: a folder added without a
 * line there fails here. The doc writes each as `path/` in a table row with its job.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const DOC = fs.readFileSync(path.join(ROOT, 'docs', 'ARCHITECTURE.md'), 'utf8');

function foldersUnder(top: string): string[] {
  const found: string[] = [];
  const visit = (relative: string): void => {
    for (const entry of fs.readdirSync(path.join(ROOT, relative), { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const folder = `${relative}/${entry.name}`;
      found.push(folder);
      visit(folder);
    }
  };
  visit(top);
  return found.sort();
}

/** The job the doc's table gives a folder: the text of the row that starts with it. */
function jobOf(folder: string): string | undefined {
  const row = DOC.split('\n').find((line) => line.startsWith(`| \`${folder}/\` |`));
  return row?.split('|')[2]?.trim();
}

describe('docs/ARCHITECTURE.md', () => {
  const folders = [...foldersUnder('src'), ...foldersUnder('nodes')];

  it('finds the folders it checks', () => {
    expect(folders).toEqual(
      expect.arrayContaining(['src/transport/smpp', 'src/transport/modem/simulator/handlers', 'nodes/shared', 'nodes/SmsTrigger/sources']),
    );
  });

  it.each(folders)('names %s with its job', (folder) => {
    expect(jobOf(folder)).toMatch(/\w.{10,}/);
  });

  it('names no folder that does not exist', () => {
    const named = [...DOC.matchAll(/^\| `((?:src|nodes)\/[^`]*)\/` \|/gm)].map((m) => m[1]);
    expect(named.filter((folder) => !folders.includes(folder))).toEqual([]);
  });
});
