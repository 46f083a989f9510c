# The mmap binding: the C++ of @riaskov/mmap-io 1.4.3 (native/, MIT), built by node-gyp when
# no prebuilt binary fits (native/install.mjs). Headers come from `nan`, a dependency.
{
  "targets": [{
    "target_name": "mmap_io",
    "sources": ["native/mmap-io.cc"],
    "include_dirs": ["<!(node -e \"require('nan')\")"],
    "cflags_cc": ["-std=c++17"],
    "conditions": [
      ['OS=="mac"', {
        "xcode_settings": {
          "OTHER_CPLUSPLUSFLAGS": ["-std=c++17", "-stdlib=libc++"],
          "OTHER_LDFLAGS": ["-stdlib=libc++"],
          "MACOSX_DEPLOYMENT_TARGET": "10.13"
        }
      }]
    ]
  }]
}
