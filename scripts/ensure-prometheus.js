'use strict';
// The metrics e2e tests scrape n8n's /metrics with a real Prometheus (Debian's `prometheus`
// package), installed when missing (see ensure-debian-tool.js). The package's service is not
// used: each test starts its own server on a free port with its own storage.
const { ensureDebianTool } = require('./ensure-debian-tool');

const ensurePrometheus = () => ensureDebianTool('prometheus', 'prometheus', "the metrics e2e tests (a real scraper of n8n's /metrics)");

module.exports = { ensurePrometheus };
if (require.main === module) ensurePrometheus();
