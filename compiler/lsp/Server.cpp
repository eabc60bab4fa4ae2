//===- Server.cpp - netc lsp: a language server for .net files -----------===//
#include "lsp/Server.h"

#include "lsp/Features.h"

#include <llvm/Support/Path.h>

namespace netc::lsp {

namespace json = llvm::json;

int Server::run(llvm::raw_ostream &log) {
  std::string body, why;
  for (;;) {
    Transport::Read r = t.next(body, why);
    if (r == Transport::Read::End)
      return 1;
    if (r == Transport::Read::Broken) {
      log << "netc lsp: error: " << why << "\n";
      return 1;
    }
    llvm::Expected<json::Value> msg = json::parse(body);
    if (!msg) {
      t.replyError(nullptr, ParseError, "invalid JSON: " + llvm::toString(msg.takeError()));
      continue;
    }
    if (const json::Object *o = msg->getAsObject())
      handle(*o);
    else
      t.replyError(nullptr, InvalidRequest, "a message must be a JSON object");
    if (exitCode)
      return *exitCode;
    if (!t.pending())
      analyseDirty();
  }
}

void Server::handle(const json::Object &msg) {
  auto method = msg.getString("method");
  const json::Value *id = msg.get("id");
  const json::Object *params = msg.getObject("params");
  if (!method) {
    if (id && !msg.get("result") && !msg.get("error")) // a request without a method
      t.replyError(*id, InvalidRequest, "a request needs a method");
    return; // a response to us: we send no requests
  }
  if (id)
    request(*method, *id, params);
  else
    notification(*method, params);
}

void Server::request(llvm::StringRef method, const json::Value &id, const json::Object *params) {
  if (method == "initialize") {
    if (initialized)
      return t.replyError(id, InvalidRequest, "initialize was already called");
    initialized = true;
    return t.reply(id, initialize(params));
  }
  if (!initialized)
    return t.replyError(id, ServerNotInitialized, "the server is not initialized");
  if (shuttingDown)
    return t.replyError(id, InvalidRequest, "the server is shutting down");
  if (method == "shutdown") {
    shuttingDown = true;
    return t.reply(id, nullptr);
  }
  bool known = method == "textDocument/hover" || method == "textDocument/definition" ||
               method == "textDocument/documentSymbol" || method == "textDocument/completion" ||
               method == "textDocument/formatting" || method == "textDocument/inlayHint";
  if (!known)
    return t.replyError(id, MethodNotFound, ("unsupported method: " + method).str());
  Document *d = document(params);
  if (!d)
    return t.replyError(id, InvalidParams, "textDocument.uri names no open document");
  const Analysis &a = *d->analysis;
  std::optional<Position> pos = positionFrom(params->get("position"));
  size_t offset = pos ? offsetAt(a.text, *pos) : 0;
  bool needsPos = method == "textDocument/hover" || method == "textDocument/definition" ||
                  method == "textDocument/completion";
  if (needsPos && !pos)
    return t.replyError(id, InvalidParams, "a position is needed");
  if (method == "textDocument/hover")
    return t.reply(id, hover(a, offset));
  if (method == "textDocument/definition")
    return t.reply(id, definition(a, offset));
  if (method == "textDocument/documentSymbol")
    return t.reply(id, documentSymbols(a));
  if (method == "textDocument/completion")
    return t.reply(id, completion(a.parsed || !d->lastParsed ? a : *d->lastParsed, a.text, offset));
  if (method == "textDocument/inlayHint") {
    if (!settings.inlayHints)
      return t.reply(id, json::Array{});
    const json::Object *range = params->getObject("range");
    std::optional<Position> b = range ? positionFrom(range->get("start")) : std::nullopt;
    std::optional<Position> e = range ? positionFrom(range->get("end")) : std::nullopt;
    return t.reply(id, inlayHints(a, b ? offsetAt(a.text, *b) : 0,
                                  e ? offsetAt(a.text, *e) : a.text.size()));
  }
  bool failed = false;
  json::Value edits = format(*d, id, failed);
  if (!failed)
    t.reply(id, std::move(edits));
}

json::Value Server::initialize(const json::Object *params) {
  if (params)
    if (const json::Object *o = params->getObject("initializationOptions"))
      configure(*o);
  json::Object caps{
      {"textDocumentSync",
       json::Object{{"openClose", true}, {"change", 2}, {"save", json::Object{}}}},
      {"hoverProvider", true},
      {"definitionProvider", true},
      {"documentSymbolProvider", true},
      {"completionProvider", json::Object{{"triggerCharacters", json::Array{"(", ",", ">"}}}},
      {"documentFormattingProvider", true},
      {"inlayHintProvider", true},
  };
  return json::Object{{"capabilities", std::move(caps)},
                      {"serverInfo", json::Object{{"name", "netc"}}}};
}

void Server::configure(const json::Object &o) {
  if (auto hw = o.getString("hardware"))
    settings.hardware = hw->str();
  if (auto hints = o.getBoolean("inlayHints"))
    settings.inlayHints = *hints;
  if (auto dir = o.getString("stdlib"))
    settings.stdlibDir = dir->str();
  for (auto &[uri, d] : docs)
    d.dirty = true;
}

void Server::notification(llvm::StringRef method, const json::Object *params) {
  if (method == "exit") {
    exitCode = shuttingDown ? 0 : 1;
    return;
  }
  if (!initialized || !params)
    return; // notifications before initialize are dropped, as the spec says
  const json::Object *td = params->getObject("textDocument");
  llvm::Optional<llvm::StringRef> uri = td ? td->getString("uri") : llvm::None;
  if (method == "workspace/didChangeConfiguration") {
    if (const json::Object *s = params->getObject("settings"))
      configure(s->getObject("netc") ? *s->getObject("netc") : *s);
    return;
  }
  if (!uri)
    return;
  if (method == "textDocument/didOpen") {
    Document &d = docs[uri->str()];
    d = Document{};
    d.uri = uri->str();
    std::optional<std::string> path = pathFromUri(*uri);
    d.path = path && llvm::sys::path::is_absolute(*path) ? *path : uri->str();
    d.text = td->getString("text").value_or("").str();
    d.version = td->getInteger("version").value_or(0);
    return;
  }
  auto it = docs.find(uri->str());
  if (it == docs.end())
    return;
  Document &d = it->second;
  if (method == "textDocument/didClose") {
    t.notify("textDocument/publishDiagnostics",
             json::Object{{"uri", d.uri}, {"diagnostics", json::Array{}}});
    docs.erase(it);
  } else if (method == "textDocument/didChange") {
    d.version = td->getInteger("version").value_or(d.version + 1);
    if (const json::Array *changes = params->getArray("contentChanges"))
      for (const json::Value &c : *changes) {
        const json::Object *co = c.getAsObject();
        if (!co)
          continue;
        std::string text = co->getString("text").value_or("").str();
        const json::Object *r = co->getObject("range");
        std::optional<Position> b = r ? positionFrom(r->get("start")) : std::nullopt;
        std::optional<Position> e = r ? positionFrom(r->get("end")) : std::nullopt;
        if (!b || !e) {
          d.text = std::move(text);
          continue;
        }
        size_t from = offsetAt(d.text, *b), to = std::max(from, offsetAt(d.text, *e));
        d.text.replace(from, to - from, text);
      }
    d.dirty = true;
  }
}

Server::Document *Server::document(const json::Object *params) {
  const json::Object *td = params ? params->getObject("textDocument") : nullptr;
  llvm::Optional<llvm::StringRef> uri = td ? td->getString("uri") : llvm::None;
  auto it = uri ? docs.find(uri->str()) : docs.end();
  if (it == docs.end())
    return nullptr;
  if (it->second.dirty || !it->second.analysis)
    analyse(it->second);
  return &it->second;
}

void Server::analyse(Document &d) {
  d.analysis = analyze(d.text, d.path, settings);
  d.dirty = false;
  if (d.analysis->parsed)
    d.lastParsed = *d.analysis;
  json::Object params{{"uri", d.uri}, {"diagnostics", diagnosticsJSON(*d.analysis)}};
  params["version"] = d.version;
  t.notify("textDocument/publishDiagnostics", std::move(params));
}

void Server::analyseDirty() {
  for (auto &[uri, d] : docs)
    if (d.dirty) {
      analyse(d);
      if (t.pending()) // more changes came in meanwhile: read them first
        return;
    }
}

} // namespace netc::lsp
