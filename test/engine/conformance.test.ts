import { runConformance } from './conformance-run';

runConformance('node');
