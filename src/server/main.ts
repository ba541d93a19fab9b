// dist/server.js: the language server on its own, for clients that start it with node
// (`node dist/server.js --stdio`, as the VS Code extension does). The same startServer() as
// `drydock lsp`.
import { startServer } from './server';

// stdio is the only transport; --stdio is accepted (clients add it by habit) and nothing else is read.
startServer();
