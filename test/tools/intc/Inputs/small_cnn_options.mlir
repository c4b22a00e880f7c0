// The small CNN with the three reference behaviours switched away from
// their defaults: the loss gradient without the int8 wrap (Q3), one local
// step per FC block (Q2), and the intended conv lr_amp scaling (Q1).
intc.model @small_cnn_options(%x: tensor<?x1x12x12xi8>) attributes {
    batch = 8, augment_crop = 2, augment_flip = true,
    loss_grad_wrap8 = false, double_classifier_update = false,
    adjust_conv_lr_amp = true} {
  %0 = intc.local_conv_block %x channels 4 activation nitro_leaky_relu<4>
         {pred_decoder_dim = 64, decay_inv = 30000, head_decay_inv = 3000}
         : tensor<?x1x12x12xi8> -> tensor<?x4x12x12xi8>
  %1 = intc.maxpool2d %0 kernel 2 : tensor<?x4x12x12xi8> -> tensor<?x4x6x6xi8>
  %2 = intc.local_conv_block %1 channels 8 activation nitro_leaky_relu<4>
         {pred_decoder_dim = 32, decay_inv = 30000, head_decay_inv = 3000}
         : tensor<?x4x6x6xi8> -> tensor<?x8x6x6xi8>
  %3 = intc.dropout %2 rate 15 : tensor<?x8x6x6xi8> -> tensor<?x8x6x6xi16>
  %4 = intc.maxpool2d %3 kernel 4 : tensor<?x8x6x6xi16> -> tensor<?x8x1x1xi16>
  %5 = intc.flatten %4 : tensor<?x8x1x1xi16> -> tensor<?x8xi16>
  %6 = intc.local_linear_block %5 features 16 activation nitro_leaky_relu<4>
         {decay_inv = 30000, head_decay_inv = 3000} : tensor<?x8xi16> -> tensor<?x16xi8>
  %7 = intc.dropout %6 rate 10 : tensor<?x16xi8> -> tensor<?x16xi16>
  %8 = intc.output_layer %7 {decay_inv = 3000} : tensor<?x16xi16> -> tensor<?x10xi8>
  intc.yield %8 : tensor<?x10xi8>
}
