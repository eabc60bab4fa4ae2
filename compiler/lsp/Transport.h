//===- Transport.h - JSON-RPC messages over a pipe ---------------*- C++ -*-===//
//
// The Language Server Protocol's base protocol: each message is a header
// block ("Content-Length: N\r\n", optionally "Content-Type: ...\r\n", then an
// empty line) followed by N bytes of JSON. Transport reads messages from a
// file descriptor (netc lsp: standard input) and writes them to a stream
// (standard output), flushing after each, as clangd's JSONTransport does.
//
// The reader keeps its own buffer so that the server can ask whether another
// message is already waiting (pending()): a burst of didChange notifications
// is then analysed once, after the last of them.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_LSP_TRANSPORT_H
#define NETC_LSP_TRANSPORT_H

#include <llvm/Support/JSON.h>
#include <llvm/Support/raw_ostream.h>

#include <optional>
#include <string>

namespace netc::lsp {

class Transport {
public:
  /// Reads from `inFd`, writes to `out`. Messages above `maxMessage` bytes
  /// are refused (the stream cannot be trusted after one).
  Transport(int inFd, llvm::raw_ostream &out, size_t maxMessage = 64u << 20)
      : fd(inFd), out(out), maxMessage(maxMessage) {}

  enum class Read { Message, End, Broken };
  /// The next message's JSON text in `body`. End: the input closed between
  /// messages. Broken: a malformed header or a truncated message (`why`
  /// says which); the stream cannot be resynchronised after it.
  Read next(std::string &body, std::string &why);
  /// Whether a message (or part of one) is waiting, without blocking.
  bool pending();

  void send(const llvm::json::Value &message);
  void reply(const llvm::json::Value &id, llvm::json::Value result);
  /// A JSON-RPC error response (`id` is null when the request's is unknown).
  void replyError(const llvm::json::Value &id, int code, llvm::StringRef message);
  void notify(llvm::StringRef method, llvm::json::Value params);

private:
  /// Appends what read() returns to `buf`; false at the end of the input.
  bool fill();

  int fd;
  llvm::raw_ostream &out;
  size_t maxMessage;
  std::string buf;
  size_t pos = 0; ///< start of the unread part of buf
};

/// JSON-RPC and LSP error codes.
enum ErrorCode : int {
  ParseError = -32700,
  InvalidRequest = -32600,
  MethodNotFound = -32601,
  InvalidParams = -32602,
  InternalError = -32603,
  ServerNotInitialized = -32002,
  RequestFailed = -32803,
};

} // namespace netc::lsp

#endif
