-- Drydock's language server in Neovim's built-in LSP client (Neovim 0.7 and later; Debian's
-- `neovim` package works). Put this file where Neovim finds it and load it from your init.lua:
--
--   dofile(vim.fn.stdpath('config') .. '/drydock.lua')
--
-- Every SQL buffer gets a client of `drydock lsp` rooted at the nearest folder holding drydock.json,
-- a migrations folder or .git. Diagnostics appear as you type; `K` shows the hover (the lock a
-- statement takes and what it blocks); code actions (the CONCURRENTLY fix, ignores, fix-all) come
-- through vim.lsp.buf.code_action(). The command can be changed with vim.g.drydock_cmd, e.g.
-- { 'npx', 'drydock', 'lsp' } or { 'node', '/path/to/dist/server.js', '--stdio' }.

local M = {}

local function root_of(file)
  local dir = vim.fn.fnamemodify(file, ':p:h')
  local found = vim.fn.findfile('drydock.json', dir .. ';')
  if found ~= '' then return vim.fn.fnamemodify(found, ':p:h') end
  local git = vim.fn.finddir('.git', dir .. ';')
  if git ~= '' then return vim.fn.fnamemodify(git, ':p:h:h') end
  local migrations = vim.fn.finddir('migrations', dir .. ';')
  if migrations ~= '' then return vim.fn.fnamemodify(migrations, ':p:h:h') end
  return dir
end

local clients = {}

function M.attach(bufnr)
  local file = vim.api.nvim_buf_get_name(bufnr)
  if file == '' then return end
  local root = root_of(file)
  local config = {
    name = 'drydock',
    cmd = vim.g.drydock_cmd or { 'drydock', 'lsp' },
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
    -- The `drydock` settings, the same keys as the VS Code extension's (README: Settings).
    settings = { drydock = vim.g.drydock_settings or {} },
    init_options = { dryRunOnSave = vim.g.drydock_dry_run_on_save ~= false },
  }
  if vim.lsp.start then
    -- Neovim 0.8+: reuses the client of the same name and root.
    vim.lsp.start(config, { bufnr = bufnr })
    return
  end
  local id = clients[root]
  if not id or vim.lsp.client_is_stopped(id) then
    id = vim.lsp.start_client(config)
    clients[root] = id
  end
  if id then vim.lsp.buf_attach_client(bufnr, id) end
end

vim.api.nvim_create_autocmd('FileType', {
  pattern = 'sql',
  callback = function(args) M.attach(args.buf) end,
})

return M
