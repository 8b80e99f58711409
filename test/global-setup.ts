// Once before any test file runs: the dashboard's build (local/dashboard-assets.ts), which several
// files serve at once. Built here, no file finds it stale and swaps the folder under another.
import { dashboardAssets } from '../local/dashboard-assets.ts';

export default async function setup(): Promise<void> {
  await dashboardAssets();
}
