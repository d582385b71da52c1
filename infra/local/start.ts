console.error("The local runtime is not built yet (issue 4). Run `npm test` for now.");
process.exit(1);
