// A commit as messages name it: its first 7 digits (git's default abbreviation).
export function shortSha(sha: string | undefined): string {
  return sha ? sha.slice(0, 7) : '';
}
