import { runConformance } from '../engine/conformance-run';

runConformance('workerd');
