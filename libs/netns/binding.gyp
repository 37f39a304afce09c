{
  "targets": [
    {
      "target_name": "ambit_netns",
      "conditions": [
        ["OS=='linux'", { "sources": ["native/ambit_netns.c"] }]
      ],
      "defines": ["NAPI_VERSION=8"],
      "cflags": ["-std=gnu11", "-Wall", "-Wextra", "-Wno-unused-parameter", "-Werror=implicit-function-declaration"]
    }
  ]
}
