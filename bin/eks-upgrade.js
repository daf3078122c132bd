#!/usr/bin/env node
// Runs the TypeScript CLI directly: the project ships no build step for its command line.
import { register } from 'tsx/esm/api';

register();
await import('./eks-upgrade.ts');
