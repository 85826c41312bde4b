import { ROTATION_OVERLAP_SECONDS } from '../../ingest/webhook-secrets';
import type { Action } from '.';

export const rotateWebhookSecret: Action<object> = async (_args, { services }) => {
  const secret = await services.webhookSecrets.rotate();
  return [
    'made a new webhook secret; deliveries carrying it or the previous one are accepted (other processes sharing the database within 30 s)',
    'next: print the registry config again (npm run berth -- registry config …) and restart the registry on it, or set its notification endpoint header to',
    `  Authorization: [Bearer ${secret}]`,
    `then npm run berth -- webhook finish stops accepting the previous secret; otherwise it goes by itself in ${ROTATION_OVERLAP_SECONDS / 3600} h`,
  ].join('\n');
};

export const finishWebhookRotation: Action<object> = async (_args, { services }) => {
  const dropped = await services.webhookSecrets.finishRotation();
  return dropped === 0 ? 'no previous webhook secret was accepted; nothing to finish' : 'the previous webhook secret is no longer accepted: only the current one is';
};
