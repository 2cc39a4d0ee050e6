// matrix-bot-sdk's HTTP layer honours HTTP(S)_PROXY; the test homeserver is on loopback.
process.env.NO_PROXY = '127.0.0.1,localhost';
process.env.no_proxy = '127.0.0.1,localhost';
