// Type-checks every Grafana dashboard in the folder given (default ../dashboards) against Grafana's
// own published schema (@grafana/schema): the dashboard model, and each panel's options and custom
// field config against its plugin's types. Each dashboard becomes a TypeScript module whose
// constants are the JSON itself, typed; the compiler's excess-property and literal checks then
// reject unknown keys, misspelt enum values and missing required options. Exit 0 when all pass.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, basename } from 'node:path';
import { spawnSync } from 'node:child_process';

const dir = process.argv[2] ?? '../dashboards';
const build = 'build';
const schema = '@grafana/schema/dist/esm/raw';
// The panel plugins the dashboards may use, and their generated option types.
const plugins = {
  timeseries: `${schema}/composable/timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen`,
  stat: `${schema}/composable/stat/panelcfg/x/StatPanelCfg_types.gen`,
};

rmSync(build, { recursive: true, force: true });
mkdirSync(build);
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
if (files.length === 0) {
  console.error(`no dashboards in ${dir}`);
  process.exit(1);
}
const errors = [];
for (const file of files) {
  const dashboard = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const lines = [
    `import type { Dashboard } from '${schema}/dashboard/x/Dashboard_types.gen';`,
    ...Object.entries(plugins).map(([name, path]) => `import type * as ${name} from '${path}';`),
    // Grafana's types use TypeScript enums; JSON holds their string values.
    'type Json<T> = T extends string ? `${T}` : T extends object ? { [K in keyof T]: Json<T[K]> } : T;',
    `export const dashboard: Json<Dashboard> = ${JSON.stringify(dashboard, null, 2)};`,
  ];
  for (const panel of dashboard.panels ?? []) {
    if (!(panel.type in plugins)) {
      errors.push(`${file}: panel ${panel.id} "${panel.title}" has type ${panel.type}, which this check has no schema for`);
      continue;
    }
    const id = `panel${panel.id}`;
    lines.push(`export const ${id}Options: Json<${panel.type}.Options> = ${JSON.stringify(panel.options ?? {})};`);
    if (panel.type === 'timeseries') {
      lines.push(`export const ${id}Custom: Json<timeseries.FieldConfig> = ${JSON.stringify(panel.fieldConfig?.defaults?.custom ?? {})};`);
    }
  }
  writeFileSync(join(build, basename(file, '.json') + '.ts'), lines.join('\n') + '\n');
}
if (errors.length > 0) {
  console.error(errors.join('\n'));
  process.exit(1);
}
const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], {
  stdio: 'inherit',
});
if (tsc.status === 0) {
  console.log(`${files.length} dashboards match Grafana's schema`);
}
process.exit(tsc.status ?? 1);
