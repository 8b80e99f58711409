// `driftless sync`: its two forms are sync-app.ts (`sync APP`, a registered app through the
// queue) and sync-folder.ts (`sync -f PATH`, a folder straight to a cluster); sync-form.ts
// tells them apart. Each is loaded only when chosen: the app form needs the AWS clients.
import type { Command } from '../main.ts';
import { OLD_FOLDER_NOTICE, syncForm } from './sync-form.ts';

export const syncCommand: Command = {
  async run(args) {
    if (args.includes('--help') || args.includes('-h')) {
      const [{ syncAppHelp }, { syncFolderHelp }] = await Promise.all([import('./sync-app.ts'), import('./sync-folder.ts')]);
      process.stdout.write(`${syncAppHelp}\n${syncFolderHelp}`);
      return 0;
    }
    const form = syncForm(args);
    if (form === 'app') return (await import('./sync-app.ts')).syncAppCommand.run(args);
    if (form === 'folder-without-f') process.stderr.write(OLD_FOLDER_NOTICE);
    return (await import('./sync-folder.ts')).syncFolderCommand.run(args);
  },
};
