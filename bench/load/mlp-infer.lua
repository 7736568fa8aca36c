-- wrk script: POST one mlp batch-1 JSON request (64 floats, the same body as mlp-infer.json) to /v2/models/mlp/infer.
--   wrk -t1 -c64 -d10s --latency -s bench/load/mlp-infer.lua http://127.0.0.1:8000/v2/models/mlp/infer
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"inputs":[{"name":"INPUT0","datatype":"FP32","shape":[1,64],"data":[-0.5, 0.078125, -0.34375, 0.234375, -0.1875, 0.390625, -0.03125, -0.453125, 0.125, -0.296875, 0.28125, -0.140625, 0.4375, 0.015625, -0.40625, 0.171875, -0.25, 0.328125, -0.09375, 0.484375, 0.0625, -0.359375, 0.21875, -0.203125, 0.375, -0.046875, -0.46875, 0.109375, -0.3125, 0.265625, -0.15625, 0.421875, 0, -0.421875, 0.15625, -0.265625, 0.3125, -0.109375, 0.46875, 0.046875, -0.375, 0.203125, -0.21875, 0.359375, -0.0625, -0.484375, 0.09375, -0.328125, 0.25, -0.171875, 0.40625, -0.015625, -0.4375, 0.140625, -0.28125, 0.296875, -0.125, 0.453125, 0.03125, -0.390625, 0.1875, -0.234375, 0.34375, -0.078125]}]}'

-- wrk prints "Non-2xx or 3xx responses" itself; no response() hook, which would make wrk parse every body.
function done(summary, latency, requests)
  io.write(string.format("p50 %.0f us, p99 %.0f us, %d requests\n", latency:percentile(50), latency:percentile(99), summary.requests))
end
