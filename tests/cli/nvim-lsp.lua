-- Driven by tests/cli/nvim-lsp.sh: Neovim's own LSP client (0.7's API, which
-- later versions keep) runs `netc lsp` on the buffer, waits for its
-- diagnostics, asks for a hover, breaks a line and waits for the error.
-- Everything it saw goes to the file $NVIM_LSP_OUT, one fact a line.
local out = assert(io.open(os.getenv('NVIM_LSP_OUT'), 'w'))
local function say(...) out:write(table.concat({...}, ' '), '\n'); out:flush() end

local published = 0
local default = vim.lsp.handlers['textDocument/publishDiagnostics']
vim.lsp.handlers['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
  published = published + 1
  say('diagnostics', #result.diagnostics)
  for _, d in ipairs(result.diagnostics) do
    say('diagnostic', d.range.start.line + 1, d.severity, d.message)
  end
  return default(err, result, ctx, config)
end

local client = vim.lsp.start_client({
  name = 'netc',
  cmd = { os.getenv('NETC'), 'lsp', '--stdlib', os.getenv('NETC_STDLIB') },
  root_dir = vim.fn.getcwd(),
  on_exit = function(code) say('server exit', code) end,
})
say('client', client and 'started' or 'failed')
vim.lsp.buf_attach_client(0, client)

if not vim.wait(20000, function() return published > 0 end, 50) then
  say('timeout waiting for diagnostics')
end

-- Hover on the call on line $NVIM_LSP_LINE, at the first character of $NVIM_LSP_WORD.
local line = tonumber(os.getenv('NVIM_LSP_LINE'))
local col = vim.fn.getline(line):find(os.getenv('NVIM_LSP_WORD'), 1, true) - 1
local replies = vim.lsp.buf_request_sync(0, 'textDocument/hover', {
  textDocument = vim.lsp.util.make_text_document_params(),
  position = { line = line - 1, character = col },
}, 20000)
for _, r in pairs(replies or {}) do
  if r.result then
    for _, l in ipairs(vim.split(r.result.contents.value, '\n')) do say('hover', l) end
  elseif r.err then
    say('hover error', r.err.message)
  end
end

-- An edit: the server sees the change and publishes the error.
local before = published
vim.api.nvim_buf_set_lines(0, line - 1, line, false, { '  x = undefined_block(x)' })
if not vim.wait(20000, function() return published > before end, 50) then
  say('timeout waiting for diagnostics after the edit')
end

vim.lsp.stop_client(client)
vim.wait(5000, function() return vim.lsp.get_client_by_id(client) == nil end, 50)
out:close()
vim.cmd('qa!')
