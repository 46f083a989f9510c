// A TypeDoc plugin: "Defined in" links to this repository's files at the commit the docs were
// made from, and none to files the repository does not hold (Node's and TypeScript's lib types,
// another package's dist/), which would be broken. TypeDoc does this itself only where `.git`
// is a directory, not in a git worktree, so the docs are the same from a clone or a worktree.
// scripts/check-doc-links.mjs then checks every link made.
import { execFileSync } from 'node:child_process';
import { relative } from 'node:path';

/** The repository's public address (see the packages' `repository` field). */
export const REPOSITORY = 'https://github.com/mmstats/mmstats-ts';

/** @param {import('typedoc').Application} app */
export function load(app) {
  const git = (...args) => execFileSync('git', args, { encoding: 'utf8' });
  const root = git('rev-parse', '--show-toplevel').trim();
  const revision = git('rev-parse', 'HEAD').trim();
  const tracked = new Set(git('-C', root, 'ls-files', '-z').split('\0'));
  app.converter.on('resolveEnd', (context) => {
    for (const reflection of Object.values(context.project.reflections)) {
      for (const source of reflection.sources ?? []) {
        const path = relative(root, source.fullFileName);
        if (tracked.has(path)) source.url = `${REPOSITORY}/blob/${revision}/${path}#L${source.line}`;
        else delete source.url;
      }
    }
  });
}
