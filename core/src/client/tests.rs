//! Client tests against a local fake Ironic (wiremock) for faults the real one cannot produce.
