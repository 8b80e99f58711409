// The example repository's post-commit hook: a commit there becomes a signed push webhook to
// the running local mode, as a push to GitHub would.
//   node local/git-hook.ts <state dir>     (run by .git/hooks/post-commit, cwd = the repo)
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { postWebhook } from './post-webhook.ts';
import { localPush } from './push-event.ts';

const stateDir = process.argv[2];
try {
  const endpoints = JSON.parse(await readFile(join(stateDir, 'endpoints.json'), 'utf8')) as { WEBHOOK_URL: string; WEBHOOK_SECRET: string };
  const push = await localPush(process.cwd());
  const answer = await postWebhook(endpoints.WEBHOOK_URL, endpoints.WEBHOOK_SECRET, 'push', push.payload);
  console.log(`driftless: push ${push.after.slice(0, 7)} → ${answer.status} ${answer.body}`);
} catch (error) {
  // A commit must never fail because local mode is not running.
  console.log(`driftless: webhook not delivered (is npm start running?): ${(error as Error).message}`);
}
