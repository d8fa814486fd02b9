/**
 * Runs the Widget operator against the cluster of the current kubeconfig: the webhook
 * server on :9443 (certificate files from WEBHOOK_CERT_DIR when set, e.g. a Secret
 * mounted by cert-manager; otherwise a generated CA) and the controller, in a Manager.
 */
import { join } from 'node:path';
import { Client } from '@kube-ts/client';
import { pino } from 'pino';
import { widgetManager } from './operator.js';
import { widgetWebhook } from './webhook.js';

const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' });
const client = Client.fromDefault();
const certDir = process.env.WEBHOOK_CERT_DIR;
const webhook = widgetWebhook({
  logger,
  host: process.env.WEBHOOK_HOST ?? '0.0.0.0',
  port: Number(process.env.WEBHOOK_PORT ?? 9443),
  ...(certDir
    ? {
        tls: {
          certFile: join(certDir, 'tls.crt'),
          keyFile: join(certDir, 'tls.key'),
          caFile: join(certDir, 'ca.crt'),
        },
      }
    : {}),
});
await widgetManager(client, webhook, { logger, host: '0.0.0.0' }).start();
client.close();
