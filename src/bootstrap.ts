// First start on an empty database: a demo location (with a live chat widget), a token with every scope, and the
// admin token.
import { randomUUID } from 'node:crypto';
import type { Config } from './config.js';
import { ADMIN_TOKEN_SETTING } from './domain/auth.js';
import { hashToken } from './domain/ids.js';
import type { Services } from './services.js';
import type { Store } from './store/database.js';
import { countLocations } from './store/repositories/locations.js';
import { putSettingIfAbsent } from './store/repositories/tokens.js';

export interface BootstrapReport {
  adminToken: string | null;
  adminTokenFromConfig: boolean;
  demo: { locationId: string; token: string; widgetId: string } | null;
}

export async function bootstrap(config: Config, store: Store, services: Services): Promise<BootstrapReport> {
  let adminToken: string | null = config.adminToken;
  if (!adminToken) {
    // Two servers starting together on one empty database: only the one whose token was stored prints it.
    const generated = `sba-${randomUUID()}`;
    if (await putSettingIfAbsent(store.db, ADMIN_TOKEN_SETTING, hashToken(generated))) adminToken = generated;
  }
  await services.webhooks.ensureSigningKey();
  const demo = await bootstrapDemo(config, store, services);
  return { adminToken, adminTokenFromConfig: config.adminToken !== null, demo };
}

/** The demo location and its widget, on a database without locations, when BOOTSTRAP_DEMO says so. */
export async function bootstrapDemo(
  config: Config,
  store: Store,
  services: Pick<Services, 'locations' | 'widgets'>,
): Promise<BootstrapReport['demo']> {
  if (!config.bootstrapDemo || (await countLocations(store.db)) > 0) return null;
  const created = await services.locations.createDemoLocation();
  const widget = await services.widgets.create(created.location.id, { name: 'Demo widget' });
  return { locationId: created.location.id, token: created.token, widgetId: widget.id };
}

export function describeBootstrap(report: BootstrapReport, publicUrl: string): string {
  const lines: string[] = [];
  if (report.demo) {
    lines.push(
      'Switchboard created a demo location on this empty database:',
      `  Location id:  ${report.demo.locationId}`,
      `  Token:        ${report.demo.token}`,
      '  Try it:',
      `    curl -H "Authorization: Bearer ${report.demo.token}" -H "Version: 2021-07-28" \\`,
      `      "${publicUrl}/conversations/search?locationId=${report.demo.locationId}"`,
      `  Live chat:    ${publicUrl}/widget/demo?widgetId=${report.demo.widgetId}`,
    );
  }
  if (report.adminToken && !report.adminTokenFromConfig) {
    lines.push(
      `Admin token (generated, shown once; set SWITCHBOARD_ADMIN_TOKEN to choose your own): ${report.adminToken}`,
    );
  } else if (!report.adminTokenFromConfig) {
    lines.push('Admin token: generated on first start (printed then); set SWITCHBOARD_ADMIN_TOKEN to replace it.');
  }
  return lines.join('\n');
}
