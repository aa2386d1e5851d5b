import { describe, expect, it } from 'vitest';
import type { ConfigFile } from '../../../src/config/configFile.js';
import { logsConfigFrom } from '../../../src/config/logsConfig.js';
import { EsLogSource } from '../../../src/platform/logs/esLogSource.js';

const file = (elasticsearch: unknown): ConfigFile => ({ path: '/home/u/.config/warroom/config.yaml', exists: true, data: { contexts: { 'prod-dc2': { elasticsearch } } } });

describe('per-context Elasticsearch config', () => {
  it("reads the context's filter: the term every one of its documents carries in a store shared by clusters", () => {
    const c = logsConfigFrom(file({ url: 'https://es.example', index: 'logs-*', filter: { 'orchestrator.cluster.name': 'prod-dc2' } }), 'prod-dc2', {});
    expect(c.elasticsearch).toMatchObject({ urls: ['https://es.example'], index: 'logs-*', filter: { 'orchestrator.cluster.name': 'prod-dc2' } });
    expect(logsConfigFrom(file({ url: 'https://es.example' }), 'prod-dc2', {}).elasticsearch?.filter).toBeUndefined();
  });

  it('refuses an empty filter, naming file and key', () => {
    expect(() => logsConfigFrom(file({ url: 'https://es.example', filter: {} }), 'prod-dc2', {})).toThrow(
      'config file /home/u/.config/warroom/config.yaml: contexts.prod-dc2.elasticsearch.filter: needs at least one field: value, got {}',
    );
  });

  it("names the index and filter on the logs pane's source line as text only: a control sequence in the file does not reach the terminal", () => {
    const c = logsConfigFrom(file({ url: 'https://es.example', index: 'logs-\x1b]0;pwned\x07*', filter: { 'orchestrator.cluster.name': 'prod-dc2\x1b[2J' } }), 'prod-dc2', {});
    expect(new EsLogSource(c.elasticsearch!).info.label).toBe('Elasticsearch https://es.example index logs-* orchestrator.cluster.name=prod-dc2');
  });
});
