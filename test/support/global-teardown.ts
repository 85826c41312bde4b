import { dropTemplates } from './templates';

export default async function globalTeardown(): Promise<void> {
  await dropTemplates();
}
