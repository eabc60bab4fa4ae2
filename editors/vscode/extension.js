// netc for VS Code: starts `netc lsp` (the language server, over standard
// input and output) for .net files. Plain CommonJS, no build step.
'use strict';

const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

/** @type {LanguageClient | undefined} */
let client;

function settings() {
  const config = vscode.workspace.getConfiguration('netc');
  return {
    path: config.get('path', 'netc') || 'netc',
    hardware: config.get('hardware', ''),
    inlayHints: config.get('inlayHints', false),
    stdlib: config.get('stdlib', ''),
  };
}

async function start() {
  const { path, hardware, inlayHints, stdlib } = settings();
  const serverOptions = { command: path, args: ['lsp'] };
  const clientOptions = {
    documentSelector: [{ scheme: 'file', language: 'netc' }],
    // The server reads these once, at initialize; a change restarts it.
    initializationOptions: { hardware, inlayHints, stdlib },
  };
  client = new LanguageClient('netc', 'netc language server', serverOptions, clientOptions);
  try {
    await client.start();
  } catch (err) {
    vscode.window.showErrorMessage(
      `netc: could not start \`${path} lsp\` (${err && err.message ? err.message : err}); ` +
        'set netc.path to the netc executable.');
  }
}

async function stop() {
  if (!client) return;
  const c = client;
  client = undefined;
  try {
    await c.stop();
  } catch (_) {
    // A server that never started cannot be stopped; nothing to do.
  }
}

/** @param {vscode.ExtensionContext} context */
async function activate(context) {
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (!event.affectsConfiguration('netc')) return;
      await stop();
      await start();
    }),
    vscode.commands.registerCommand('netc.restartServer', async () => {
      await stop();
      await start();
    }),
  );
  await start();
}

function deactivate() {
  return stop();
}

module.exports = { activate, deactivate };
