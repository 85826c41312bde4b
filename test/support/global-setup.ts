import { createTemplates } from './templates';

/** Once per run, before any worker starts: the migrated databases test servers start from (see templates.ts). */
export default async function globalSetup(): Promise<void> {
  await createTemplates();
}
