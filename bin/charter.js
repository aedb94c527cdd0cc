#!/usr/bin/env node
// The `charter` CLI. Sources are TypeScript compiled to dist/ by `npm install` (the prepare script).
require('../dist/cli/main.js');
