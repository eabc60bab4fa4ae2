//===- Transport.cpp - JSON-RPC messages over a pipe ----------------------===//
#include "lsp/Transport.h"

#include <llvm/ADT/StringExtras.h>

#include <cerrno>
#include <poll.h>
#include <unistd.h>

namespace netc::lsp {

bool Transport::fill() {
  if (pos > 0 && pos == buf.size()) {
    buf.clear();
    pos = 0;
  }
  char chunk[65536];
  for (;;) {
    ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n > 0) {
      buf.append(chunk, static_cast<size_t>(n));
      return true;
    }
    if (n == 0)
      return false;
    if (errno != EINTR)
      return false;
  }
}

bool Transport::pending() {
  if (pos < buf.size())
    return true;
  struct pollfd p = {fd, POLLIN, 0};
  return ::poll(&p, 1, 0) > 0 && (p.revents & (POLLIN | POLLHUP)) != 0;
}

Transport::Read Transport::next(std::string &body, std::string &why) {
  // The header block ends at the first empty line.
  size_t end;
  while ((end = buf.find("\r\n\r\n", pos)) == std::string::npos) {
    if (buf.size() - pos > 4096) {
      why = "a message header longer than 4096 bytes";
      return Read::Broken;
    }
    if (!fill()) {
      if (pos == buf.size())
        return Read::End;
      why = "the input ended inside a message header";
      return Read::Broken;
    }
  }
  llvm::StringRef header(buf.data() + pos, end - pos);
  std::optional<size_t> length;
  llvm::SmallVector<llvm::StringRef, 4> lines;
  header.split(lines, "\r\n");
  for (llvm::StringRef line : lines) {
    auto [name, value] = line.split(':');
    if (name.trim().equals_insensitive("content-length")) {
      unsigned long long n;
      if (value.trim().getAsInteger(10, n)) {
        why = "a Content-Length that is not a number: '" + value.trim().str() + "'";
        return Read::Broken;
      }
      length = static_cast<size_t>(n);
    }
  }
  if (!length) {
    why = "a message header without Content-Length";
    return Read::Broken;
  }
  if (*length > maxMessage) {
    why = "a message of " + std::to_string(*length) + " bytes (the limit is " +
          std::to_string(maxMessage) + ")";
    return Read::Broken;
  }
  pos = end + 4;
  while (buf.size() - pos < *length)
    if (!fill()) {
      why = "the input ended inside a message";
      return Read::Broken;
    }
  body.assign(buf, pos, *length);
  pos += *length;
  return Read::Message;
}

void Transport::send(const llvm::json::Value &message) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << message;
  os.flush();
  out << "Content-Length: " << text.size() << "\r\n\r\n" << text;
  out.flush();
}

void Transport::reply(const llvm::json::Value &id, llvm::json::Value result) {
  send(llvm::json::Object{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}});
}

void Transport::replyError(const llvm::json::Value &id, int code, llvm::StringRef message) {
  send(llvm::json::Object{
      {"jsonrpc", "2.0"},
      {"id", id},
      {"error", llvm::json::Object{{"code", code}, {"message", message.str()}}}});
}

void Transport::notify(llvm::StringRef method, llvm::json::Value params) {
  send(llvm::json::Object{
      {"jsonrpc", "2.0"}, {"method", method.str()}, {"params", std::move(params)}});
}

} // namespace netc::lsp
