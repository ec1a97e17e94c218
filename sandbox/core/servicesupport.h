#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <initializer_list>

// Small pieces more than one service needs, so each vendor's code keeps to its own API.
namespace Sandbox {

// The real clock in ms since 1970: tokens, codes and signed links expire by it (generated data
// uses DataGenerator::epoch() instead, so it never does).
qint64 nowMs();
// Unpredictable bytes for tokens and signing keys (the system generator, not a seeded one).
QByteArray randomBytes(int count);
// base64url without padding, as JWTs and URL-safe tokens use.
QByteArray base64Url(const QByteArray &bytes);
// HMAC-SHA256 of `message` under `key`, in lower-case hex: the signature of a signed link.
QByteArray hmacSha256Hex(const QByteArray &message, const QByteArray &key);
// A fixture written as a C string ("dp_demo_k7Q2xW9mLp4R8tNc") as a QString.
QString latin1(const char *text);
QStringList latin1List(std::initializer_list<const char *> items);

} // namespace Sandbox
