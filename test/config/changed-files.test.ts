import { describe, expect, it } from 'vitest';
import { changedFilesOf, configChanged } from '../../shared/config/match.ts';

const head = { id: 'abc' };

describe('changedFilesOf', () => {
  it('is the union of files added, removed and modified by every commit', () => {
    const payload = {
      commits: [
        { added: ['a.yaml'], removed: [], modified: ['b.yaml'] },
        { added: [], removed: ['c.yaml'], modified: ['a.yaml'] },
      ],
      head_commit: head,
    };
    expect(changedFilesOf(payload)).toEqual(['a.yaml', 'b.yaml', 'c.yaml']);
  });

  it('is all for a new branch or a force push, whose commit list does not say what changed', () => {
    const commits = [{ added: ['a.yaml'], removed: [], modified: [] }];
    expect(changedFilesOf({ created: true, commits, head_commit: head })).toBe('all');
    expect(changedFilesOf({ forced: true, commits, head_commit: head })).toBe('all');
  });

  it('is all when commits are missing, or empty while there is a head commit', () => {
    expect(changedFilesOf({ head_commit: head })).toBe('all');
    expect(changedFilesOf({ commits: [], head_commit: head })).toBe('all');
    expect(changedFilesOf({ commits: [], head_commit: null })).toEqual([]);
  });

  it('is all when GitHub truncated the lists: 2048 commits, or a commit listing 3000 files', () => {
    const commit = { added: ['a.yaml'], removed: [], modified: [] };
    expect(changedFilesOf({ commits: Array.from({ length: 2047 }, () => commit), head_commit: head })).toEqual(['a.yaml']);
    expect(changedFilesOf({ commits: Array.from({ length: 2048 }, () => commit), head_commit: head })).toBe('all');
    const huge = { added: Array.from({ length: 3000 }, (_, index) => `f${index}.yaml`), removed: [], modified: [] };
    expect(changedFilesOf({ commits: [huge], head_commit: head })).toBe('all');
  });

  it('is nothing for a deleted branch', () => {
    expect(changedFilesOf({ deleted: true, commits: [], head_commit: null })).toEqual([]);
  });
});

describe('configChanged', () => {
  it('is true only when a file under the registry folder changed, or when all may have', () => {
    expect(configChanged('driftless', ['driftless/apps/web.yaml'])).toBe(true);
    expect(configChanged('driftless/', ['README.md', 'driftless-old/x.yaml'])).toBe(false);
    expect(configChanged('driftless', 'all')).toBe(true);
  });
});
