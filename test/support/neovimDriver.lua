-- Drives a headless Neovim that loaded docs/editors/neovim/drydock.lua (test/core/server/neovim.test.ts):
-- opens a migration, waits for Drydock's diagnostics, asks for the hover and the code actions,
-- applies the CONCURRENTLY fix, and writes what it saw as JSON to $DRYDOCK_TEST_OUT, then quits.
local out = { diagnostics = {}, hover = '', actions = {}, buffer = {} }

local function finish()
  local f = io.open(vim.env.DRYDOCK_TEST_OUT, 'w')
  f:write(vim.fn.json_encode(out))
  f:close()
  vim.cmd('qa!')
end

local ok, err = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(vim.env.DRYDOCK_TEST_FILE))
  local bufnr = vim.api.nvim_get_current_buf()
  local function codes()
    local list = {}
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
      if code then table.insert(list, code) end
    end
    return list
  end
  vim.wait(90000, function() return vim.tbl_contains(codes(), 'require-concurrent-index-creation') end, 100)
  out.diagnostics = codes()

  local uri = vim.uri_from_bufnr(bufnr)
  local at = { line = 0, character = 3 }
  local hover = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', { textDocument = { uri = uri }, position = at }, 30000) or {}
  for _, response in pairs(hover) do
    if response.result and response.result.contents then out.hover = response.result.contents.value or '' end
  end

  local params = { textDocument = { uri = uri }, range = { start = at, ['end'] = at }, context = { diagnostics = {} } }
  local responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, 30000) or {}
  local chosen, client
  for client_id, response in pairs(responses) do
    for _, action in ipairs(response.result or {}) do
      table.insert(out.actions, action.title)
      if not chosen and action.title:find('^Add CONCURRENTLY') then
        chosen = action
        client = vim.lsp.get_client_by_id(client_id)
      end
    end
  end
  if chosen and chosen.edit then
    vim.lsp.util.apply_workspace_edit(chosen.edit, (client and client.offset_encoding) or 'utf-16')
  end
  out.buffer = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
end)
if not ok then out.error = tostring(err) end
finish()
