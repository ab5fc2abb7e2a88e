// First start on an empty database: the fixtures of SNAPSHOT_FILES, else a demo location (with a live chat widget)
// and a token with every scope; and the admin token.
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
  /** SNAPSHOT_FILES: the locations restored, or the files skipped because the database had locations already. */
  fixtures: { loaded: { file: string; locationId: string }[]; skipped: string[] };
}

export async function bootstrap(config: Config, store: Store, services: Services): Promise<BootstrapReport> {
  let adminToken: string | null = config.adminToken;
  if (!adminToken) {
    // Two servers starting together on one empty database: only the one whose token was stored prints it.
    const generated = `sba-${randomUUID()}`;
    if (await putSettingIfAbsent(store.db, ADMIN_TOKEN_SETTING, hashToken(generated))) adminToken = generated;
  }
  await services.webhooks.ensureSigningKey();
  const fixtures = await loadFixtures(config, store, services);
  const demo = await bootstrapDemo(config, store, services);
  return { adminToken, adminTokenFromConfig: config.adminToken !== null, demo, fixtures };
}

/**
 * SNAPSHOT_FILES, restored in order into a database without locations. One with locations is not touched (a restart
 * of a server that loaded them, or a database in use): the files are skipped, and the start-up banner says so. A bad
 * file stops start-up, naming it.
 */
async function loadFixtures(
  config: Config,
  store: Store,
  services: Pick<Services, 'sandbox'>,
): Promise<BootstrapReport['fixtures']> {
  const files = config.sandbox.snapshotFiles;
  if (files.length === 0 || (await countLocations(store.db)) > 0) return { loaded: [], skipped: files };
  const loaded: BootstrapReport['fixtures']['loaded'] = [];
  for (const file of files) {
    try {
      const result = await services.sandbox.snapshots.loader.load(file);
      loaded.push({ file, locationId: result.locationId });
    } catch (error) {
      throw new Error(`SNAPSHOT_FILES: ${file} could not be restored: ${(error as Error).message}`);
    }
  }
  return { loaded, skipped: [] };
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
  for (const { file, locationId } of report.fixtures.loaded) lines.push(`Restored ${file}: location ${locationId}`);
  if (report.fixtures.skipped.length > 0) {
    lines.push(
      `SNAPSHOT_FILES skipped (${report.fixtures.skipped.join(', ')}): the database has locations already; ` +
        'restore into it with `switchboard snapshot load FILE --replace`.',
    );
  }
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
