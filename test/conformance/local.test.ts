/**
 * The conformance suite on the in-process runtime: one test per case file under
 * test/cases/, titled with the case's description. Cases run concurrently (each
 * has its own run id and, for the domain runbooks, its own entity).
 */
import { describeConformance } from './conformance-suite.ts';
import { localConformanceRuntime } from './local-runtime.ts';

describeConformance('conformance on the in-process runtime', localConformanceRuntime, { concurrency: 8 });
