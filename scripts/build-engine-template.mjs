// Builds the initialised PGlite data directory the package ships (engine-template/), so that no machine runs
// initdb on its first check. Skipped when the one for the installed PGlite version is there already; run by
// prepack, and by hand after upgrading PGlite (a test fails until it matches). Needs dist/ (npm run build).
import { PgliteEngine } from '../dist/engine/pglite-engine.js';

const { path, built } = await PgliteEngine.writePackagedTemplate();
process.stdout.write(`${built ? 'built' : 'up to date:'} ${path}\n`);
